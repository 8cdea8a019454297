package io.itsm.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An external program the check runs ({@code kubectl}, {@code yamllint}). A missing program is a failure that
 * says how to install it, never a reason to skip the check.
 */
public final class CommandLineTool {

    /** What a finished run printed and how it exited. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private final String executable;
    private final String installHint;

    public CommandLineTool(String executable, String installHint) {
        this.executable = executable;
        this.installHint = installHint;
    }

    public static CommandLineTool kubectl() {
        return new CommandLineTool("kubectl", "install kubectl 1.27 or newer (its built-in kustomize renders offline, "
                + "no cluster needed): https://kubernetes.io/docs/tasks/tools/");
    }

    public static CommandLineTool yamllint() {
        return new CommandLineTool("yamllint", "install yamllint: apt-get install -y yamllint (or pip install yamllint)");
    }

    /** Runs the program with {@code arguments} in {@code workingDirectory}; fails if it is missing or hangs. */
    public Result run(Path workingDirectory, String... arguments) {
        Path directory = workingDirectory.toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("no directory " + directory + " to run " + executable + " in");
        }
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(List.of(arguments));
        Path stderr = null;
        try {
            // stderr goes to a file, so that a chatty program cannot block on a full pipe while stdout is read
            stderr = Files.createTempFile(executable, ".stderr");
            Process process;
            try {
                process = new ProcessBuilder(command).directory(directory.toFile())
                        .redirectError(stderr.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException(executable + " is not on the PATH: " + installHint, e);
            }
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 2 minutes");
            }
            return new Result(process.exitValue(), stdout, Files.readString(stderr));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (stderr != null) {
                stderr.toFile().delete();
            }
        }
    }
}
