package io.itsm.events.inbox;

/**
 * The consumer is stopping (its service shuts down), so the event was not applied, and it is not the event's fault:
 * the messaging layer must neither acknowledge nor dead-letter it, so that it is delivered again after the restart.
 * Thrown instead of a failure that the stopping itself may have caused (a closed persistence unit or pool).
 */
public class ConsumerStoppedException extends RuntimeException {

    public ConsumerStoppedException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
