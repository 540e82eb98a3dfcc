class ServiceError(RuntimeError):
    """A local service could not be started or reached."""
