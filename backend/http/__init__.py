"""The hub's HTTP side (aiohttp): Open311 GeoReport v2 and the 12345 hotline bridge.

``server.HttpSite`` runs beside the websockets feed on its own port (``Hub(http_port=...)``,
``gridcc-hub serve --http-port``); ``app.make_app`` builds the aiohttp application.
"""
