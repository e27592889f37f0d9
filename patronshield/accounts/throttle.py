def username(request, credentials=None) -> str:
    """The e-mail the login throttle counts, however it was typed (Desk@… = desk@…)."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login", "")
        or request.POST.get("username", "")
    )
    return str(value).strip().lower()
