"""Settings' "Your instructions": what memchat should know about the user and how it should answer, each
with its counter against the server's limit. A text over the limit stays as typed and says by how much;
Save says "Saved" once the server has it, and a refusal is shown beside the text, which stays."""

from __future__ import annotations

import flet as ft

from memchat_mobile.instructions import ABOUT_QUESTION, STYLE_QUESTION, YourInstructions
from memchat_mobile.views.account import card

EXPLANATION = "memchat reads these before every answer. It never learns memories from them."
HINTS = {"about": "For example: I'm a nurse in Graz and I'm learning Spanish.",
         "style": "For example: Be brief. Use metric units."}


def over_limit(over: int) -> str:
    return (f"{over:,} character{'s' if over != 1 else ''} too long. Shorten it to save it; nothing is cut "
            "for you.")


def field_text(form_text: str, held: str | None, typed: bool) -> str:
    """The text to draw a field with: once the user has typed, what the field holds (`held`, as the browser last
    set it), else the form's (the server's text, once loaded).
    The browser sets a field's value before its change event reaches the form, so a draw in between (the
    counter of the text before) gave the field the form's older text: what was typed vanished, and with it
    the change event that would have counted it."""
    return held if typed and held is not None else form_text


@ft.component
def InstructionsCard(instructions: YourInstructions) -> ft.Control:
    ft.use_effect(instructions.ensure_loaded, [])
    # The fields' latest values (a click can arrive before a re-render); filled from the server once it answers,
    # unless the user has typed already.
    form = ft.use_ref(lambda: {"about": instructions.about, "style": instructions.style, "typed": False}).current
    fields = ft.use_ref(lambda: {"about": ft.Ref[ft.TextField](), "style": ft.Ref[ft.TextField]()}).current
    lengths, set_lengths = ft.use_state(lambda: (len(form["about"]), len(form["style"])))
    if instructions.loaded and not form["typed"] and (form["about"], form["style"]) != (
            instructions.about, instructions.style):
        form.update(about=instructions.about, style=instructions.style)
    limit = instructions.max_chars

    def changed(name: str, value: str) -> None:
        form[name], form["typed"] = value, True
        instructions.edited()
        counted = (len(form["about"].strip()), len(form["style"].strip()))
        if counted != lengths:
            set_lengths(counted)

    def save() -> None:
        if not instructions.save(about=form["about"], style=form["style"]) and not any(
                instructions.over(form[name]) for name in ("about", "style")):
            form["typed"] = False  # nothing changed: what is shown is what the server keeps

    def question(name: str, label: str) -> ft.Control:
        count = len(form[name].strip())
        over = instructions.over(form[name])
        note = f"{count:,} / {limit:,}"
        said = f"{over_limit(over)} {note}" if over else f"{note} characters"
        held = fields[name].current
        return ft.Column(spacing=4, tight=True, controls=[
            ft.Semantics(identifier=f"instructions-{name}", content=ft.TextField(
                ref=fields[name], value=field_text(form[name], held.value if held else None, form["typed"]),
                label=label, multiline=True, min_lines=2, max_lines=6, hint_text=HINTS[name],
                on_change=lambda e: changed(name, e.control.value), border_radius=12,
                border_color=ft.Colors.ERROR if over else ft.Colors.OUTLINE)),
            # The count, and by how much a text is over, on a line of its own that a screen reader reads whole.
            ft.Semantics(identifier=f"instructions-{name}-count", label=said, content=ft.Text(
                f"{note} \u00b7 {over_limit(over)}" if over else note, size=12,
                color=ft.Colors.ERROR if over else ft.Colors.ON_SURFACE_VARIANT)),
        ])

    over = any(instructions.over(form[name]) for name in ("about", "style"))
    # Never empty: what the save stands at, read by a screen reader as it changes.
    status = "Saving..." if instructions.saving else "Saved" if instructions.saved else "Not saved yet" if form[
        "typed"] else "Up to date"
    return card(
        "YOUR INSTRUCTIONS",
        ft.Text(EXPLANATION, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        question("about", ABOUT_QUESTION),
        question("style", STYLE_QUESTION),
        ft.Row(spacing=12, wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER, controls=[
            ft.Semantics(identifier="instructions-save", content=ft.FilledButton(
                "Save instructions", icon=ft.Icons.CHECK, on_click=save,
                disabled=over or instructions.saving or not instructions.loaded)),
            *([ft.Icon(ft.Icons.CHECK_CIRCLE, size=18, color=ft.Colors.PRIMARY)] if instructions.saved else []),
            ft.Semantics(identifier="instructions-status", label=status, content=ft.Text(
                status, color=ft.Colors.PRIMARY if instructions.saved else ft.Colors.ON_SURFACE_VARIANT,
                weight=ft.FontWeight.W_600)),
        ]),
        *([ft.Semantics(identifier="instructions-error", label=(
            said := f"Not saved: {instructions.error} Your text is still here."), content=ft.Text(
                said, color=ft.Colors.ERROR))]
          if instructions.error else []),
    )
