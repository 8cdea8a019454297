package io.itsm.events;

/** One changed field in an event's {@code changes} list: the field's JSON name, its old and its new value. */
public record FieldChange(String field, Object from, Object to) {
}
