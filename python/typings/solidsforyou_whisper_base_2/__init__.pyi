# A wheel that holds the second half of the multilingual base model (its data folder); nothing to call.
