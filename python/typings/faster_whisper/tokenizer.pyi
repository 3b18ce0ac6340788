_LANGUAGE_CODES: tuple[str, ...]
