package io.itsm.events.inbox;

/** An event that kept failing after its retries; the messaging layer dead-letters it with this message. */
public class EventProcessingException extends RuntimeException {

    public EventProcessingException(String message, Throwable cause) {
        super(message, cause);
    }
}
