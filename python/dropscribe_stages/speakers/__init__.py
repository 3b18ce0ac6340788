"""Who spoke when: the speaker encoder and its weights, voice windows, clustering, labels."""
