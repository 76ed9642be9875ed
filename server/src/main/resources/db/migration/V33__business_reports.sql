-- RPT-4: business report settings per enterprise: the customer field (its key) that names a customer's region in the
-- regional distribution; none: the region comes from the area code or mobile carrier of the customer's first number.
CREATE TABLE business_report_settings (
    enterprise_id  BIGINT       NOT NULL PRIMARY KEY REFERENCES enterprise(id),
    region_field   VARCHAR(64)
);
