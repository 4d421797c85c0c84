def staff_only(user, url_name=None, url_args=None, url_kwargs=None) -> bool:
    """Dashboard menu access for Kiosque's own pages (Oscar's default knows only its apps)."""
    return user.is_active and user.is_staff
