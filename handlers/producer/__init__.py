"""Producer self-service in chat (issue 5): my record, forms, photos, closure, relocation, requests."""
