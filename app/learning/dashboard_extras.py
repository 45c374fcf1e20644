"""Higher packages (certificates) add sections to the dashboard without learning importing them."""

_providers = []


def register(provider):
    """`provider(user)` returns a dict merged into the dashboard's template context."""
    if provider not in _providers:
        _providers.append(provider)


def context_for(user):
    """Everything the registered providers add for this user."""
    extra = {}
    for provider in _providers:
        added = provider(user)
        # Each provider may add template sections; they are collected, not replaced.
        sections = extra.get("dashboard_sections", []) + added.pop("dashboard_sections", [])
        extra.update(added)
        if sections:
            extra["dashboard_sections"] = sections
    return extra
