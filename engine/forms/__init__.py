"""FormDef → WTForms (rendering and collection only; validation is the record service)."""
