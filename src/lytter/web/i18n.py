"""The UI's languages: gettext catalogs (Babel) and dates and numbers per locale.

Messages are written in English in the code and templates; `locale/da/LC_MESSAGES` holds the
Danish catalog (`make i18n` extracts, updates and compiles it). Danish is the default.
"""

from __future__ import annotations

import gettext as gettext_module
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal, format_percent
from babel.support import Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from lytter.querylang.errors import QueryError
from lytter.services.errors import N_, UserError

LOCALES = ("da", "en")
DEFAULT_LOCALE = "da"
LOCALE_DIR = resources.files("lytter.web") / "locale"


# Shown through _(value) in templates, so extraction cannot see them.
DYNAMIC_MESSAGES = (N_("admin"), N_("manager"), N_("agent"), N_("viewer"))


@cache
def translations(locale: str) -> gettext_module.NullTranslations:
    """The catalog for `locale`; English is the source language and needs none."""
    if locale == "en":
        return gettext_module.NullTranslations()
    return Translations.load(str(LOCALE_DIR), [locale], domain="messages")


def gettext(locale: str, message: str | tuple[str, str], **params: Any) -> str:
    """`message` in `locale`, with `%(name)s` fields filled from `params`; a (context,
    message) pair from `NP_` is translated in its context."""
    catalog = translations(locale)
    text = catalog.pgettext(*message) if isinstance(message, tuple) else catalog.gettext(message)
    return text % params if params else text


def query_problem(locale: str, exc: QueryError) -> str:
    """What is wrong with a query, in `locale`."""
    return translations(locale).gettext(exc.problem_template).format(**exc.query_params)


def query_hint(locale: str, exc: QueryError) -> str:
    """How to fix a query, in `locale` ("" when there is no hint)."""
    if not exc.hint_template:
        return ""
    return translations(locale).gettext(exc.hint_template).format(**exc.query_params)


def error_message(locale: str, exc: UserError) -> str:
    """A service error's sentence in `locale`."""
    if isinstance(exc, QueryError):
        where = gettext(locale, "column %(n)s", n=exc.column)
        hint = query_hint(locale, exc)
        return f"{query_problem(locale, exc)} ({where})" + (f": {hint}" if hint else "")
    template = translations(locale).gettext(exc.template)
    return template.format(**exc.params) if exc.params else template


@pass_context
def _gettext(ctx: Context, message: str) -> str:
    return translations(ctx.get("locale", DEFAULT_LOCALE)).gettext(message)


@pass_context
def _ngettext(ctx: Context, singular: str, plural: str, n: int) -> str:
    return translations(ctx.get("locale", DEFAULT_LOCALE)).ngettext(singular, plural, n)


def _zone(ctx: Context) -> ZoneInfo:
    zone = ctx.get("zone")
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo("Europe/Copenhagen")


@pass_context
def _datetime(ctx: Context, value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    locale = ctx.get("locale", DEFAULT_LOCALE)
    zone = _zone(ctx)
    if fmt == "date":
        return format_date(value.astimezone(zone), "medium", locale=locale)
    if fmt == "month":  # nov. 2026 / Nov 2026
        return format_date(value.astimezone(zone), "LLL y", locale=locale)
    if fmt == "time":
        return format_time(value, "short", tzinfo=zone, locale=locale)
    if fmt == "short":  # 24. nov. 2026 14.05 / Nov 24, 2026 2:05 PM
        date = format_date(value.astimezone(zone), "medium", locale=locale)
        return f"{date} {format_time(value, 'short', tzinfo=zone, locale=locale)}"
    return format_datetime(value, fmt, tzinfo=zone, locale=locale)


@pass_context
def _number(ctx: Context, value: float | int | None) -> str:
    return "" if value is None else format_decimal(value, locale=ctx.get("locale", DEFAULT_LOCALE))


@pass_context
def _percent(ctx: Context, value: float | None) -> str:
    if value is None:
        return ""
    return format_percent(value, locale=ctx.get("locale", DEFAULT_LOCALE))


@pass_context
def _query_problem(ctx: Context, exc: QueryError) -> str:
    return query_problem(ctx.get("locale", DEFAULT_LOCALE), exc)


@pass_context
def _query_hint(ctx: Context, exc: QueryError) -> str:
    return query_hint(ctx.get("locale", DEFAULT_LOCALE), exc)


@pass_context
def _error(ctx: Context, exc: UserError) -> Markup:
    return Markup.escape(error_message(ctx.get("locale", DEFAULT_LOCALE), exc))


def install(env: Environment) -> None:
    """Give the templates `_()`, `ngettext()` and the `datetime`/`number`/`percent` filters."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext, ngettext=_ngettext, newstyle=True
    )
    env.filters["datetime"] = _datetime
    env.filters["number"] = _number
    env.filters["percent"] = _percent
    env.filters["error"] = _error
    env.filters["query_problem"] = _query_problem
    env.filters["query_hint"] = _query_hint
