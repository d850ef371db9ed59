"""`gridcc train` (and `gridcc demo --role trainer`): the trainer panel over a training session.

One laptop, no server: the session's embedded hub listens where the trainer says
(``--listen 0.0.0.0`` for trainees on other machines), each trainee gets a token, printed
here and shown in the panel, and the panel drives the scenario's clock.
"""

from __future__ import annotations

import sys

from backend.embedded import HOME_DISTRICT, SCORE_COLUMNS, TrainingSession, start_in_background
from desktop.trainer.controller import TrainerController
from desktop.trainer.window import TrainerWindow


def print_tokens(session: TrainingSession, out=None) -> None:
    """One line per trainee: how to connect from another machine."""
    out = out or sys.stdout
    url = session.connect_url()
    for account in session.accounts:
        street = f"{session.node_name(account.trainee.scope)} ({account.trainee.scope})"
        print(f"{account.trainee.name}\t{street}\tgridcc connect {url} --token {account.token}", file=out)
    out.flush()


def open_panel(session: TrainingSession, *, confirm: bool = True) -> tuple[TrainerWindow, TrainerController]:
    window = TrainerWindow(SCORE_COLUMNS)
    return window, TrainerController(session, window, confirm=confirm)


def run_trainer_panel(lang: str, *, scenario: str = "normal_day", scale: float = 0.2, seed: int = 2023,
                      speed: float = 60.0, host: str = "127.0.0.1", port: int = 8765,
                      home: str | None = None) -> int:
    from desktop.app import StartupError, application, show_full, wait_for

    app = application(lang)
    session = TrainingSession(scenario=scenario, scale=scale, seed=seed, speed=min(max(speed, 1.0), 600.0),
                              host=host, port=port, home=home or HOME_DISTRICT)
    controller = None
    try:
        try:
            wait_for(start_in_background(session), 600,
                     app.translate("Trainer", "Starting the training city…"))  # 正在启动培训城市…
        except OSError as exc:
            raise StartupError(f"the training hub cannot listen on {host}:{port}: {exc.strerror or exc}; "
                               "choose another port with --port") from None
        print_tokens(session)
        window, controller = open_panel(session)
        show_full(window)
        return app.exec()
    finally:
        if controller is not None:
            controller.stop()
        else:
            session.stop()


def run_trainer(args, lang: str) -> int:
    """Entry point of `gridcc train` (see desktop/cli.py)."""
    return run_trainer_panel(lang, scenario=args.scenario, scale=args.scale, host=args.listen, port=args.port,
                             home=args.scope)
