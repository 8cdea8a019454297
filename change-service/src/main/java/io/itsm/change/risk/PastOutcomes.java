package io.itsm.change.risk;

/** How past changes on the same CIs ended: how many closed, how many of them UNSUCCESSFUL. */
public record PastOutcomes(long closed, long unsuccessful) {

    public static final PastOutcomes NONE = new PastOutcomes(0, 0);
}
