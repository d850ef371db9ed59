"""`gridcc demo`: the console, wall or trainer panel over an embedded demo city."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend.embedded import DemoCity, start_in_background

if TYPE_CHECKING:
    from desktop.app import Console
    from desktop.wall.launch import WallDisplay


def run_demo(args, lang: str) -> int:
    from desktop.app import Console, application, exec_unless_quit, show_full, wait_for

    if args.role == "trainer" and not args.wall:  # the trainer panel over a training session
        from desktop.trainer.launch import run_trainer_panel

        return run_trainer_panel(lang, scenario=args.scenario, scale=args.scale, seed=args.seed, speed=args.speed,
                                 port=0, home=args.scope)
    app = application(lang, "dark" if args.wall else "light")
    role = "wall" if args.wall else args.role
    # The simulator leaves the operator's own streets to the operator.
    demo = DemoCity(db=args.db, seed=args.seed, scale=args.scale, scenario=args.scenario, speed=args.speed,
                    human_role=role, human_scope=args.scope)
    opened: Console | WallDisplay | None = None
    try:
        wait_for(start_in_background(demo), 600, app.translate("Demo", "Starting the demo city…"))  # 正在启动演示城市…
        scope = args.scope or demo.default_scope(role)
        token = demo.token(role, scope)
        if args.wall:
            from desktop.wall.launch import open_wall

            opened = open_wall(demo.url, token, scope=scope, screen=args.screen)
        else:
            opened = Console(demo.url, token, scope=scope)
            show_full(opened.window)
        # One line for the trainer (other consoles can join with a token) and for scripts waiting on it.
        print(f"GridCC demo ready: {demo.url} ({role}, {scope})", flush=True)
        return exec_unless_quit(app)
    finally:
        if opened is not None:
            opened.close()
        demo.stop()
