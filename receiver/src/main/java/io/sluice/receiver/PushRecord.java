package io.sluice.receiver;

/**
 * One push as it goes to the source topic: the app it was sent for, the key ({@code appsflyer_id}'s bytes, or null when the
 * push names none), the value as received (a POST body as is; a GET's query parameters as a JSON object), and when it came.
 */
public record PushRecord(String app, byte[] key, byte[] value, long receivedAt) {}
