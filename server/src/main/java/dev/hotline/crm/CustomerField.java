package dev.hotline.crm;

import java.util.List;

/** An admin-defined customer field of one enterprise (CRM-1): its key in the API and in files, label, type and rules. */
public record CustomerField(long id, String key, String label, FieldType type, boolean required, List<String> options,
                            int position, boolean inPop) {}
