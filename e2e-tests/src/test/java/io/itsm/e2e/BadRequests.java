package io.itsm.e2e;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Malformed and boundary requests for one operation of the merged OpenAPI document: each starts from what the
 * document says a good request looks like (its example body, real ids, its parameters) and breaks one thing, the way
 * a careless or hostile client would: wrong types, missing or unknown fields, huge and odd strings, invalid enums and
 * dates, deep JSON, broken JSON, wrong content types, bad headers, bad path ids and query values, and MongoDB
 * operator injection. Deterministic for a given {@link Random} seed.
 */
final class BadRequests {

    /** One request to send; {@code body} null means none. */
    record Case(String method, String path, Map<String, String> headers, String body, String what) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String HUGE = "x".repeat(100_000);
    private static final List<String> ODD_STRINGS = List.of("", " ", "\u0000", "\u202Eevil", "😀💥", "\uFEFFbom",
            "Ω≈ç√∫", "<script>alert(1)</script>", "' OR '1'='1", "${jndi:ldap://127.0.0.1/x}", "../../etc/passwd",
            "a\nb\r\nc", "\\", "\"", "null", "true", "0", "-1", "1e309", "NaN", "2026-13-45T99:99:99Z", "tomorrow",
            "%00", "%ZZ", "\t", "ǅ̸̢̛", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ﷺ".repeat(1000));
    private static final List<String> OPERATOR_VALUES = List.of("{\"$ne\":null}", "{\"$gt\":\"\"}", "{\"$where\":\"sleep(100)\"}",
            "{\"$regex\":\".*\"}", "{\"$in\":[1,2]}", "{\"$expr\":{\"$eq\":[1,1]}}");
    private static final List<String> BAD_IDS = List.of("not-an-id", "00000000-0000-0000-0000-000000000000", "INC9999999",
            "CHG0000000", "CI0", "-1", "0", "1e309", "%00", "..%2F..%2Fq%2Fhealth", "%7B%22%24ne%22%3Anull%7D", "%F0%9F%98%80",
            "x".repeat(3000), "%20", "null", "undefined", "%27%20OR%201%3D1--", "..", ".", "%2e%2e");
    private static final List<String> BAD_QUERY_VALUES = List.of("", "-1", "0", "abc", "1.5", "99999999999999999999",
            "2147483648", "1e309", "NaN", "true", "NOT_A_VALUE", "2026-13-45T99:99:99Z", "yesterday", "2026-02-30",
            "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "(a+)+$", ".*", "[", "\\", "{\"$ne\":null}", "$where",
            "😀", "\u0000", "x".repeat(5000), ",,,", "-", "a,b,-c,+d");
    /** Characters a request target may not hold as they are (RFC 3986), sent unencoded. */
    private static final List<String> NOT_URI_CHARACTERS = List.of("%", "%zz", "%4", "<", ">", "{", "}", "|", "^", "`",
            "\"", "\\", "[", "]");
    private static final List<String> BAD_CONTENT_TYPES = List.of("text/plain", "application/xml", "text/html",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream",
            "application/json; charset=ISO-8859-1", "application/jsonx", "*/*", "garbage", "");
    private static final List<String> BAD_ETAGS = List.of("\"abc\"", "W/\"0\"", "\"-1\"", "\"999999999999999999999\"", "abc",
            "\"\"", "*", "\"1\", \"2\"", "\"" + "9".repeat(300) + "\"", "W/");
    private static final List<String> BROKEN_JSON = List.of("{", "}", "{\"a\":", "{'a':1}", "{\"a\":1,}", "[1,2",
            "{\"a\":01}", "{\"a\":NaN}", "{\"a\":undefined}", "<a>xml</a>", "garbage", "\u0000", "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\uZZZZ\"}", "{\"a\":1}{\"b\":2}", "\uFEFF{}", "{\"a\":1e999999}", "{\"a\" 1}");

    private final JsonNode document;
    private final Random random;

    BadRequests(JsonNode document, Random random) {
        this.document = document;
        this.random = random;
    }

    /**
     * {@code count} cases for the operation at {@code template} ({@code path} is it with real ids, {@code query} its
     * required query parameters with good values, {@code etag} the target's current ETag or null).
     */
    List<Case> forOperation(String method, String template, String path, String query, JsonNode operation,
            Supplier<String> etag, int count) {
        List<Case> cases = new ArrayList<>();
        JsonNode content = operation.path("requestBody").path("content");
        String mediaType = content.has("application/json") ? "application/json"
                : content.fieldNames().hasNext() ? content.fieldNames().next() : null;
        JsonNode goodBody = mediaType == null ? null : goodBody(content.path(mediaType));
        JsonNode schema = mediaType == null ? null : resolve(content.path(mediaType).path("schema"));
        List<JsonNode> queryParameters = new ArrayList<>();
        boolean ifMatch = false;
        for (JsonNode parameter : operation.path("parameters")) {
            String in = parameter.path("in").asText();
            if (in.equals("query")) {
                queryParameters.add(parameter);
            } else if (in.equals("header") && parameter.path("name").asText().equals("If-Match")) {
                ifMatch = true;
            }
        }
        boolean hasPathId = template.contains("{");
        for (int i = 0; i < count; i++) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (mediaType != null) {
                headers.put("Content-Type", mediaType);
            }
            if (ifMatch) {
                String current = etag.get();
                if (current != null) {
                    headers.put("If-Match", current);
                }
            }
            String body = goodBody == null ? null : goodBody.toString();
            String target = path;
            String q = query;
            String what;
            int kind = random.nextInt(100);
            if (goodBody != null && kind < 60) {
                String[] broken = brokenBody(goodBody, schema);
                body = broken[0];
                what = broken[1];
            } else if (kind < 75 && !queryParameters.isEmpty()) {
                JsonNode parameter = queryParameters.get(random.nextInt(queryParameters.size()));
                String name = parameter.path("name").asText();
                String value = pick(BAD_QUERY_VALUES);
                q = withQuery(query, name, value);
                what = "query " + name + "=" + abbreviate(value);
            } else if (kind < 80) {
                String[] injection = { "[$ne]", "[$gt]", "[$regex]", ".$where", "[]" };
                String name = queryParameters.isEmpty() ? "$where"
                        : queryParameters.get(random.nextInt(queryParameters.size())).path("name").asText()
                                + pick(List.of(injection));
                q = withQuery(query, name, "1");
                what = "query parameter named " + name;
            } else if (kind < 90 && hasPathId) {
                String id = pick(BAD_IDS);
                target = withBadId(template, path, id);
                what = "path id " + abbreviate(id);
            } else if (kind < 93) {
                // not encoded on purpose: a target that is not a URI (Java's HTTP client refuses it; sent raw)
                String raw = pick(NOT_URI_CHARACTERS);
                if (hasPathId && random.nextBoolean()) {
                    target = withBadId(template, path, "x" + raw + "y");
                    what = "raw path id x" + raw + "y";
                } else {
                    q = (query.isEmpty() ? "?" : query + "&") + "q=x" + raw + "y";
                    what = "raw query q=x" + raw + "y";
                }
            } else {
                what = badHeaders(headers, mediaType != null, ifMatch);
            }
            cases.add(new Case(method, target + q, headers, body, what));
        }
        return cases;
    }

    private String badHeaders(Map<String, String> headers, boolean hasBody, boolean ifMatch) {
        int kind = random.nextInt(6);
        if (kind == 0 && hasBody) {
            String type = pick(BAD_CONTENT_TYPES);
            if (type.isEmpty()) {
                headers.remove("Content-Type");
                return "no Content-Type";
            }
            headers.put("Content-Type", type);
            return "Content-Type " + type;
        }
        if (kind == 1 && ifMatch) {
            if (random.nextBoolean()) {
                headers.remove("If-Match");
                return "no If-Match";
            }
            String tag = pick(BAD_ETAGS);
            headers.put("If-Match", tag);
            return "If-Match " + abbreviate(tag);
        }
        if (kind == 2) {
            String key = pick(List.of("", " ", "x".repeat(5000), "\"quoted\"", "a,b", "../../etc", "{\"$ne\":1}"));
            headers.put("Idempotency-Key", key);
            return "Idempotency-Key " + abbreviate(key);
        }
        if (kind == 3) {
            String accept = pick(List.of("text/html", "application/xml", "image/png", "garbage", "*/*;q=0"));
            headers.put("Accept", accept);
            return "Accept " + accept;
        }
        if (kind == 4) {
            headers.put("If-None-Match", pick(BAD_ETAGS));
            return "If-None-Match";
        }
        headers.put("tracestate", "x".repeat(3000));
        headers.put("traceparent", pick(List.of("garbage", "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01", "ff-x-y-z")));
        return "odd traceparent";
    }

    /** A broken body and what was broken. */
    private String[] brokenBody(JsonNode good, JsonNode schema) {
        int kind = random.nextInt(100);
        if (kind < 8) {
            String broken = pick(BROKEN_JSON);
            return new String[] { broken, "broken JSON " + abbreviate(broken) };
        }
        if (kind < 12) {
            String other = pick(List.of("", "[]", "\"text\"", "42", "null", "true", "[{}]", "{}"));
            return new String[] { other, "body " + (other.isEmpty() ? "empty" : other) };
        }
        if (kind < 16) {
            int depth = pick(List.of(100, 1_000, 5_000, 20_000));
            String deep = "[".repeat(depth) + "]".repeat(depth);
            if (good.isObject() && good.size() > 0 && random.nextBoolean()) {
                ObjectNode copy = good.deepCopy();
                String field = field(copy);
                String text = copy.toString();
                String marker = "\"" + field + "\":";
                int at = text.indexOf(marker) + marker.length();
                int end = at + copy.get(field).toString().length();
                return new String[] { text.substring(0, at) + deep + text.substring(end), "field " + field + " nested " + depth + " deep" };
            }
            return new String[] { deep, "JSON nested " + depth + " deep" };
        }
        if (kind < 20 && good.isObject()) {
            String text = good.toString();
            if (good.size() > 0) {
                String field = field(good);
                return new String[] { "{\"" + field + "\":1," + text.substring(1), "duplicate key " + field };
            }
        }
        if (!good.isObject()) {
            ArrayNode array = good.isArray() ? (ArrayNode) good.deepCopy() : NODES.arrayNode();
            array.add(oddValue());
            return new String[] { array.toString(), "array with an odd element" };
        }
        ObjectNode body = good.deepCopy();
        if (kind < 30 && body.size() > 0) {
            String field = requiredField(schema, body);
            body.remove(field);
            return new String[] { body.toString(), "without " + field };
        }
        if (kind < 36) {
            String name = pick(List.of("$where", "__proto__", "a.b", "", "unknownField", "😀", "$set", "constructor"));
            body.set(name, oddValue());
            return new String[] { body.toString(), "unknown field " + name };
        }
        if (body.size() == 0) {
            body.set("shortDescription", oddValue());
            return new String[] { body.toString(), "odd field in an empty body" };
        }
        String field = field(body);
        JsonNode value = body.get(field);
        if (kind < 45 && value.isObject() && value.size() > 0) {
            ObjectNode inner = (ObjectNode) value;
            String innerField = field(inner);
            inner.set(innerField, oddValue());
            return new String[] { body.toString(), field + "." + innerField + " odd" };
        }
        if (kind < 50 && value.isArray()) {
            ((ArrayNode) value).add(oddValue());
            return new String[] { body.toString(), field + "[] odd element" };
        }
        JsonNode odd = oddValue();
        body.set(field, odd);
        return new String[] { body.toString(), field + " = " + abbreviate(odd.toString()) };
    }

    /** A value of some type a field likely does not take, or a boundary of the type it does. */
    private JsonNode oddValue() {
        int kind = random.nextInt(12);
        try {
            return switch (kind) {
                case 0 -> NODES.textNode(pick(ODD_STRINGS));
                case 1 -> NODES.textNode(HUGE);
                case 2 -> JSON.readTree(pick(OPERATOR_VALUES));
                case 3 -> JSON.readTree(pick(List.of("-1", "0", "2147483648", "9223372036854775808", "-9223372036854775809",
                        "1.5", "1e308", "-0", "4", "99", "1e-400")));
                case 4 -> NODES.nullNode();
                case 5 -> NODES.booleanNode(random.nextBoolean());
                case 6 -> NODES.objectNode().put("a", 1);
                case 7 -> NODES.arrayNode().add("NOT_A_VALUE").add(3);
                case 8 -> NODES.textNode("NOT_A_VALUE");
                case 9 -> NODES.textNode(pick(List.of("2026-13-45T99:99:99Z", "2026-02-30T00:00:00Z", "yesterday",
                        "1970-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "2026-01-01", "PT-5M", "P99999999D")));
                case 10 -> NODES.arrayNode();
                default -> NODES.textNode("x".repeat(161 + random.nextInt(5000)));
            };
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String requiredField(JsonNode schema, ObjectNode body) {
        List<String> required = new ArrayList<>();
        if (schema != null) {
            schema.path("required").forEach(r -> {
                if (body.has(r.asText())) {
                    required.add(r.asText());
                }
            });
        }
        return required.isEmpty() ? field(body) : pick(required);
    }

    private String field(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return pick(names);
    }

    /** The documented example, or one built from the schema's required fields. */
    private JsonNode goodBody(JsonNode media) {
        try {
            String example = SuiteApi.exampleOf(media);
            if (!example.equals("{}")) {
                return JSON.readTree(example);
            }
        } catch (Exception e) {
            // NDJSON and other non-JSON examples: build one from the schema
        }
        return sample(resolve(media.path("schema")), 0);
    }

    private JsonNode sample(JsonNode schema, int depth) {
        if (schema == null || depth > 4) {
            return NODES.objectNode();
        }
        if (schema.has("enum")) {
            return schema.path("enum").get(0);
        }
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asText() : schema.path("type").asText("object");
        switch (type) {
            case "string":
                return NODES.textNode(schema.path("format").asText().equals("date-time") ? "2027-01-01T00:00:00Z" : "fuzz");
            case "integer":
            case "number":
                return NODES.numberNode(1);
            case "boolean":
                return NODES.booleanNode(true);
            case "array":
                return NODES.arrayNode().add(sample(resolve(schema.path("items")), depth + 1));
            default:
                ObjectNode object = NODES.objectNode();
                JsonNode properties = schema.path("properties");
                for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> property = it.next();
                    object.set(property.getKey(), sample(resolve(property.getValue()), depth + 1));
                }
                return object;
        }
    }

    /** The schema a {@code $ref} (or an {@code allOf} of one) points at in the document. */
    private JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int i = 0; i < 5 && current != null; i++) {
            if (current.has("$ref")) {
                String ref = current.path("$ref").asText();
                current = document.at(ref.substring(1));
            } else if (current.path("allOf").size() == 1) {
                current = current.path("allOf").get(0);
            } else {
                return current;
            }
        }
        return current;
    }

    private static String withQuery(String query, String name, String value) {
        String pair = URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        return query.isEmpty() ? "?" + pair : query + "&" + pair;
    }

    /** The path with the id the template's last {@code {...}} stands for replaced (raw: the id is URL-safe or encoded). */
    private static String withBadId(String template, String path, String id) {
        String[] templateParts = template.split("/");
        String[] pathParts = path.split("/", -1);
        int last = -1;
        for (int i = 0; i < templateParts.length; i++) {
            if (templateParts[i].startsWith("{")) {
                last = i;
            }
        }
        pathParts[last] = id;
        return String.join("/", pathParts);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String abbreviate(String text) {
        String oneLine = text.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...(" + oneLine.length() + " chars)";
    }
}
