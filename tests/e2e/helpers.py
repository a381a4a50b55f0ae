"""Helpers for the browser tests."""

import requests


JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def login(page, base_url: str, user: str, password: str) -> None:
    """Log in through Plone's login form, as a person would."""
    page.goto(f"{base_url}/login", wait_until="networkidle")
    page.fill("#__ac_name", user)
    page.fill("#__ac_password", password)
    page.click("button[name='buttons.login']")
    page.wait_for_load_state("networkidle")


def rest(instance, method: str, path: str, **kwargs) -> requests.Response:
    """A REST API call as the administrator."""
    return requests.request(method, instance.url + path, headers=JSON, auth=instance.admin, **kwargs)
