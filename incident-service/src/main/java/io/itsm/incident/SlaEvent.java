package io.itsm.incident;

/** An SLA threshold an incident crossed: which clock, and whether it is the warning or the breach. */
public record SlaEvent(Clock clock, Level level) {

    public enum Clock { RESPONSE, RESOLUTION }

    public enum Level { WARNING, BREACHED }
}
