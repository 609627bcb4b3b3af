"""The people supporters call, seen from our own calls: which office numbers look wrong (`flask targets health`)."""
