# A wheel that holds the first half of the multilingual base model (its data folder); nothing to call.
