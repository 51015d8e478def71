"""One `virtu-server serve` process: the room service, and with a database the fleet
service and the sharing of rooms among processes."""
from __future__ import annotations

from aiohttp import web

from server.fleet.service import Fleet, FleetSettings, add_routes
from server.rooms.app import Settings, make_app
from server.rooms.routing import RoomRouter


def build_app(rooms: Settings, fleet: FleetSettings | None = None, node_url: str = "") -> web.Application:
    if fleet is None:
        return make_app(rooms)
    service = Fleet(fleet)
    router = None
    if node_url:
        router = RoomRouter(service.engine, node_url, fleet.clock)
    app = make_app(rooms, router)
    add_routes(app, service)
    if router is not None:
        # After the fleet's start (it makes the tables), before its stop (it closes the database).
        app.on_startup.append(router.start)
        app.on_cleanup.insert(0, router.stop)
    return app
