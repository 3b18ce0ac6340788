# demucs (the separate stage's optional extra, untyped): what dropscribe_stages calls.
