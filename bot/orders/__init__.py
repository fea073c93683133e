"""Orders: the Commerce API product-order model, its store, loaders and the demo set."""
