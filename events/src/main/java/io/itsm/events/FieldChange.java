package io.itsm.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One changed field in an event's {@code changes} list: the field's JSON name, its old and its new value. */
public record FieldChange(String field, Object from, Object to) {

    /**
     * The fields whose values differ between two snapshots of an aggregate (field name → value, same keys), in
     * the order of {@code before}: what an aggregate's command reports as changed.
     */
    public static List<FieldChange> diff(Map<String, Object> before, Map<String, Object> after) {
        List<FieldChange> changes = new ArrayList<>();
        before.forEach((field, from) -> {
            Object to = after.get(field);
            if (!Objects.equals(from, to)) {
                changes.add(new FieldChange(field, from, to));
            }
        });
        return List.copyOf(changes);
    }
}
