"""Record values: codecs between stored, JSON and form shapes; computed fields; validation; the use-case context."""
