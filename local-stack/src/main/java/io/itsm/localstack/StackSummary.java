package io.itsm.localstack;

import java.io.PrintStream;

/** Prints where everything of a started stack is reached and what each process costs (pid, startup, RSS). */
public final class StackSummary {

    private StackSummary() {
    }

    /** ", AOT cache: ..." saying what the services did with the JDK's AOT cache, or "" when they do not use one. */
    private static String aotSummary(LocalStack stack) {
        long mapped = stack.services().stream().filter(s -> s.aotCacheUse() == AotCache.Use.MAP).count();
        long training = stack.services().stream().filter(s -> s.aotCacheUse() == AotCache.Use.TRAIN).count();
        if (mapped + training == 0) {
            return "";
        }
        return training == 0 ? " (AOT cache: mapped by all " + mapped + ")"
                : " (AOT cache: " + training + " training run(s), caches written at ./itsm stop; later starts are"
                        + " faster)";
    }

    /** Prints the endpoints and the process table; {@code launcher} adds a row for the current JVM. */
    public static void print(LocalStack stack, PrintStream out, boolean launcher) {
        LocalStackConfig config = stack.config();
        StringBuilder s = new StringBuilder();
        String nl = System.lineSeparator();
        s.append(nl).append("ITSM local stack is ready").append(config.services() ? "" : " (infrastructure only)")
                .append(" in ").append(LocalStack.seconds(stack.startupMillis())).append(nl).append(nl);
        if (config.services()) {
            String gw = stack.gateway().url();
            row(s, "Gateway", gw);
            row(s, "Health", gw + "/q/health");
            row(s, "Swagger UI", gw + "/docs");
            for (ServiceProcess service : stack.services().subList(0, 3)) {
                row(s, service.name(), service.url());
            }
            row(s, "Services' JDK", config.serviceJavaHome() + aotSummary(stack));
        }
        row(s, "Kafka bootstrap", stack.kafka().bootstrapServers());
        row(s, "PostgreSQL", stack.postgres().jdbcUrl("incident") + ", " + stack.postgres().jdbcUrl("change"));
        row(s, "", "user " + PostgresServer.USER + ", password " + PostgresServer.PASSWORD
                + " (local development only)");
        row(s, "MongoDB", stack.mongo().connectionString() + " (database cmdb, file " + stack.mongo().storeFile()
                + ")");
        row(s, "Data dir", config.dataDir().toString());
        row(s, "Logs", config.logsDir().toString());
        s.append(nl);
        s.append(String.format("  %-18s %8s %9s %9s%n", "PROCESS", "PID", "STARTUP", "RSS"));
        long total = 0;
        for (Component component : stack.components()) {
            long rss = component.rssBytes();
            total += rss;
            s.append(String.format("  %-18s %8s %9s %9s%n", component.name(),
                    component.isRunning() ? Long.toString(component.pid()) : "-",
                    LocalStack.seconds(component.startupMillis()), ProcessMemory.format(rss)));
        }
        if (launcher) {
            long self = ProcessHandle.current().pid();
            long rss = ProcessMemory.rssBytes(self);
            total += rss;
            s.append(String.format("  %-18s %8d %9s %9s%n", "launcher", self, "", ProcessMemory.format(rss)));
        }
        s.append(String.format("  %-18s %8s %9s %9s%n", "total", "", "", ProcessMemory.format(total)));
        s.append(nl);
        if (config.services()) {
            s.append("  Authentication: bearer JWTs of the local development issuer (incident, change and CMDB APIs)").append(nl);
        s.append("    token:  ./itsm token --user jane --roles itsm-agent      (roles: itsm-reader, itsm-agent,").append(nl);
        s.append("            itsm-change-manager, itsm-cab, itsm-cmdb-admin, itsm-admin)").append(nl);
        s.append("    try:    curl -H \"Authorization: Bearer $(./itsm token)\" " + stack.gateway().url() + "/api/incidents").append(nl);
        }
        out.print(s);
        out.flush();
    }

    private static void row(StringBuilder s, String label, String value) {
        s.append(String.format("  %-17s %s%n", label, value));
    }
}
