"""``sohoa users add LOGIN --role R --department CODE --password-stdin``, ``users list``,
``users disable LOGIN``, ``users passwd LOGIN --password-stdin``: officials' accounts."""

from __future__ import annotations

import json
import sys

from search_ui.roles import ROLES


def register(sub, common) -> None:
    p = sub.add_parser("users", parents=[common], help="officials' accounts of the web app")
    actions = p.add_subparsers(dest="users_action", required=True)
    add = actions.add_parser("add", parents=[common], help="create an account")
    add.add_argument("login")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--department", default="", help="department code, e.g. TP")
    add.add_argument("--name", default="", help="full name")
    add.add_argument("--grant", action="append", default=[], help="extra department this official may read")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input (never from the command line)",
    )
    passwd = actions.add_parser("passwd", parents=[common], help="set an account's password")
    passwd.add_argument("login")
    passwd.add_argument("--password-stdin", action="store_true", required=True)
    disable = actions.add_parser("disable", parents=[common], help="disable an account")
    disable.add_argument("login")
    actions.add_parser("list", parents=[common], help="list accounts (JSON lines)")
    p.set_defaults(func=run)


def _password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def run(args, services) -> int:
    from search_ui.accounts import AccountError  # the accounts' module loads Flask

    accounts = services.accounts
    try:
        if args.users_action == "add":
            user = accounts.add(
                args.login, _password(), args.role, args.department, args.name, tuple(args.grant)
            )
            print(
                json.dumps(
                    {"login": user.login, "role": user.role, "department": user.department},
                    ensure_ascii=False,
                )
            )
        elif args.users_action == "passwd":
            if accounts.get(args.login) is None:
                raise AccountError(f"Không có tài khoản {args.login}.")
            accounts.set_password(args.login, _password())
        elif args.users_action == "disable":
            accounts.set_disabled(args.login, True)
        else:
            for u in accounts.all():
                print(
                    json.dumps(
                        {
                            "login": u.login,
                            "name": u.name,
                            "role": u.role,
                            "department": u.department,
                            "granted": list(u.granted),
                            "disabled": u.disabled,
                        },
                        ensure_ascii=False,
                    )
                )
    except AccountError as exc:
        print(f"sohoa users: {exc}", file=sys.stderr)
        return 2
    return 0
