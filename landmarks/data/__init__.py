"""Domain data: vocabulary, regions, records, validation and storage."""
