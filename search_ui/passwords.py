"""The password rule: at least 12 characters, not common or trivial (the zxcvbn estimator, with
Vietnamese words every guesser tries), and not containing the login or the official's name.

``password_problem`` gives a stable code; ``MESSAGES`` says why in Vietnamese (the web pages
translate the code, ``password_<code>`` in the catalogues)."""

from __future__ import annotations

import unicodedata

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn: 0-4; 3 is "safely unguessable: moderate protection from offline attacks"
# Words a guesser tries first here (zxcvbn's lists are English): "password", "admin", the app...
LOCAL_WORDS = (
    "matkhau",
    "mat khau",
    "quantri",
    "quan tri",
    "sohoa",
    "so hoa",
    "admin",
    "motcua",
    "hanhchinh",
)
MESSAGES = {
    "too_short": f"Mật khẩu cần ít nhất {MIN_LENGTH} ký tự.",
    "contains_login": "Mật khẩu không được chứa tên đăng nhập.",
    "contains_name": "Mật khẩu không được chứa họ tên của chính mình.",
    "weak": "Mật khẩu quá phổ biến hoặc dễ đoán (lặp ký tự, dãy số, từ thông dụng). Hãy dùng một câu"
    " dài ghép nhiều từ.",
}


def fold(text: str) -> str:
    """Lower case without diacritics or separators (đ -> d), to compare names and passwords."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def password_problem(password: str, login: str = "", name: str = "") -> str | None:
    """Why ``password`` is refused for this official (a code of ``MESSAGES``), or ``None``."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    folded = fold(password)
    if len(fold(login)) >= 3 and fold(login) in folded:
        return "contains_login"
    if len(fold(name)) >= 4 and fold(name) in folded:
        return "contains_name"
    inputs = [login, *name.split(), fold(name), *LOCAL_WORDS]
    from zxcvbn import zxcvbn  # here: commands that never set a password skip its word lists

    if zxcvbn(password[:100], user_inputs=[w for w in inputs if w])["score"] < MIN_SCORE:
        return "weak"
    return None
