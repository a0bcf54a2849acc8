"""memchat: `flet build` and `make mobile` start the app here (a window, the browser, or the phone)."""

import flet as ft

from memchat_mobile.app import main

ft.run(main)
