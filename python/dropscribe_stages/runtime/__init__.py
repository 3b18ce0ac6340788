"""The stage protocol's plumbing: the contract, its errors, typed requests, the doctor report."""
