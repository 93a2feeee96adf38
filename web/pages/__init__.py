"""Server-rendered pages (Vietnamese and English), one router per area. Views parse forms, check
roles and CSRF, and call the same service functions as the CLI and the JSON API."""

from fastapi import APIRouter

from web.pages import accounts, dashboard, events, records, requirements, search, suppliers

router = APIRouter(include_in_schema=False)
for area in (search, requirements, suppliers, records, accounts, dashboard, events):
    router.include_router(area.router)
