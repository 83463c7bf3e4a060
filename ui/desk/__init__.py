"""The counselor desk: login, queue board, call next, the case in tabs, documents, after-care, mirror."""
