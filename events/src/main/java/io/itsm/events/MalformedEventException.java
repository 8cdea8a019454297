package io.itsm.events;

/**
 * An event that can never be handled, however often it is retried: missing or unreadable CloudEvents
 * attributes, or data that does not match its schema. It goes to the dead-letter topic.
 */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
