"""The database: tables built from definitions, schema sync, record queries, system tables."""
