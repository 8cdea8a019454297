package io.itsm.rest.idempotency;

/**
 * A creating request recorded under its {@code Idempotency-Key}: the fingerprint of its body and the response
 * it got ({@code status} 0 while it is still being handled).
 */
public record IdempotentRequest(String fingerprint, int status, String location, String body) {
}
