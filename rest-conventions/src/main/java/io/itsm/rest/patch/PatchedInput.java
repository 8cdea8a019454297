package io.itsm.rest.patch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.itsm.rest.Problem;
import io.itsm.rest.ProblemException;
import io.itsm.rest.ProblemMapper;

/**
 * How every PATCH of the suite works: the JSON Merge Patch is applied to the resource's editable fields (an input
 * record), and the result is validated as a whole, as if it had been sent to create the resource. Fields of the
 * representation that are not editable are refused with the reason, unknown fields as unknown.
 */
public final class PatchedInput {

    private PatchedInput() {
    }

    /**
     * @param current  the resource's editable fields now
     * @param readOnly fields of the representation a PATCH may not touch, each with why
     * @throws ProblemException 400 naming each refused field, or each field the merged document gets wrong
     * @throws ConstraintViolationException when the merged document breaks a validation rule (mapped to 400)
     */
    @SuppressWarnings("unchecked")
    public static <T extends Record> T apply(T current, JsonNode patch, Map<String, String> readOnly, ObjectMapper objectMapper,
                                             Validator validator) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object (a JSON Merge Patch of the editable fields)");
        }
        Class<T> type = (Class<T>) current.getClass();
        Set<String> editable = new HashSet<>();
        for (var component : type.getRecordComponents()) {
            editable.add(component.getName());
        }
        List<Problem.FieldError> refused = new ArrayList<>();
        for (Iterator<String> names = patch.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (readOnly.containsKey(name)) {
                refused.add(new Problem.FieldError(name, readOnly.get(name)));
            } else if (!editable.contains(name)) {
                refused.add(new Problem.FieldError(name, ProblemMapper.unknownField(editable)));
            }
        }
        if (!refused.isEmpty()) {
            throw ProblemException.invalid(refused);
        }
        JsonNode merged = MergePatch.apply(objectMapper.valueToTree(current), patch);
        T input;
        try {
            // as strict as a create's body (StrictRequestBodies): a nested field the input does not have is refused
            input = objectMapper.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).treeToValue(merged, type);
        } catch (UnrecognizedPropertyException e) {
            throw ProblemException.invalid(ProblemMapper.fieldPath(e), ProblemMapper.unknownField(e.getKnownPropertyIds()));
        } catch (JsonMappingException e) {
            String field = ProblemMapper.fieldPath(e);
            throw ProblemException.invalid(field.isEmpty() ? "body" : field, "has the wrong type or an invalid value");
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("body", "could not be read: " + e.getOriginalMessage());
        }
        Set<ConstraintViolation<T>> violations = validator.validate(input);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return input;
    }
}
