package org.debvisor.controller.inventory;

import java.time.Instant;

/** The shared CA as stored: its certificate and its key, encrypted (PEM both). */
public record StoredCa(String certificatePem, String encryptedKeyPem, Instant createdAt) {}
