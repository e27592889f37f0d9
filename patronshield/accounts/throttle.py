def username(request, credentials=None) -> str:
    """The e-mail the login throttle counts, however it was typed (Desk@… = desk@…)."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()
