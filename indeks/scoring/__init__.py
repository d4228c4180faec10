"""The scoring engine: coercion, validation, scoring, pre/post, reliability."""
