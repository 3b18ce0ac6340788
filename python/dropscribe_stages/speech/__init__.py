"""Where the speech is: Silero VAD, speech spans and their edges, windows of the recording."""
