"""Focus that can always be seen (WCAG 2.4.7), checked at every stop the Tab key makes.

At each stop the focused element's computed outline, box-shadow, background and
text-decoration are compared with the same element's own when it is not focused (it is
blurred, measured and focused again: the next Tab carries on from it). The focus counts
as visible only if focusing made a visible difference: an outline that is not
transparent and wider than 0 that was not there before, a box-shadow that changed and
is not transparent, or a background colour that changed. GOV.UK radios and checkboxes
hide the input itself (opacity 0) and draw the focus on the box before their label, so
that box is what is compared for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page

LOOK = """([selector, blur]) => {
    const element = document.activeElement;
    if (!element || element === document.body || element === document.documentElement) {
        return null;
    }
    const label = element.id && document.querySelector(`label[for="${CSS.escape(element.id)}"]`);
    const boxed = element.matches(".govuk-radios__input, .govuk-checkboxes__input") && label;
    const drawn = boxed ? label : element;
    const pseudo = boxed ? "::before" : null;
    const look = () => {
        const s = getComputedStyle(drawn, pseudo);
        return {
            outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth,
            outlineColor: s.outlineColor, boxShadow: s.boxShadow,
            backgroundColor: s.backgroundColor,
            textDecoration: `${s.textDecorationLine} ${s.textDecorationThickness}`,
            opacity: s.opacity, visibility: s.visibility,
        };
    };
    const box = drawn.getBoundingClientRect();
    window.__stops = window.__stops || new WeakSet();
    const again = window.__stops.has(element);
    window.__stops.add(element);
    const found = {
        what: element.outerHTML.slice(0, 120).replace(/\\s+/g, " "),
        matches: selector ? element.matches(selector) : false,
        again, focused: look(), width: box.width, height: box.height,
    };
    if (blur) {
        element.blur();
        found.unfocused = look();
        element.focus({preventScroll: true});
        found.refocused = document.activeElement === element;
    }
    return found;
}"""

_COLOUR = re.compile(r"rgba?\(([^)]*)\)")


def _opaque(colour: str) -> bool:
    """True unless the colour is fully transparent."""
    if colour.strip() == "transparent":
        return False
    found = _COLOUR.search(colour)
    if not found:
        return True
    parts = [part.strip() for part in re.split(r"[,/ ]+", found.group(1)) if part.strip()]
    return len(parts) < 4 or float(parts[3]) > 0


def _outline(style: dict[str, str]) -> tuple[str, str, str] | None:
    width = float(style["outlineWidth"].removesuffix("px") or 0)
    if style["outlineStyle"] == "none" or width <= 0 or not _opaque(style["outlineColor"]):
        return None
    return style["outlineStyle"], style["outlineWidth"], style["outlineColor"]


def _shadow_shown(shadow: str) -> bool:
    if shadow == "none":
        return False
    colours = _COLOUR.findall(shadow)
    return not colours or any(_opaque(f"rgba({c})") for c in colours)


def unseen(stop: dict[str, Any]) -> str | None:
    """Why the focus at this stop cannot be seen, or None when it can."""
    focused, unfocused = stop["focused"], stop["unfocused"]
    if stop["width"] <= 0 or stop["height"] <= 0 or focused["visibility"] != "visible":
        return "the focused element is not shown"
    if float(focused["opacity"]) == 0:
        return "the focused element is transparent"
    if _outline(focused) and _outline(focused) != _outline(unfocused):
        return None
    if _shadow_shown(focused["boxShadow"]) and focused["boxShadow"] != unfocused["boxShadow"]:
        return None
    if focused["backgroundColor"] != unfocused["backgroundColor"]:
        return None
    return f"focusing it changes nothing visible: focused {focused}, not focused {unfocused}"


@dataclass
class Keyboard:
    """Moves the focus with the Tab key only, checking it can be seen at every stop."""

    page: Page
    problems: list[str] = field(default_factory=list)
    stops: int = 0

    def _check(self, where: str, selector: str | None = None) -> dict[str, Any] | None:
        stop: dict[str, Any] | None = self.page.evaluate(LOOK, [selector, True])
        if stop is None:
            return None
        self.stops += 1
        assert stop["refocused"], f"{where}: focus could not go back to {stop['what']}"
        why = unseen(stop)
        if why:
            self.problems.append(f"{where}: {stop['what']}: {why}")
        return stop

    def tab(self, where: str, selector: str | None = None) -> dict[str, Any] | None:
        self.page.keyboard.press("Tab")
        return self._check(where, selector)

    def tour(self, where: str) -> int:
        """Tab through every stop on the page, round to where it started."""
        count = 0
        outside = 0
        for _press in range(200):
            stop = self.tab(where)
            if stop is None:  # past the last stop: the browser's own controls
                outside += 1
                assert outside < 3, f"{where}: Tab never reached anything on the page"
                continue
            if stop["again"]:
                assert count > 0, f"{where}: no tab stops"
                return count
            count += 1
        raise AssertionError(f"{where}: 200 presses of Tab never came round again")

    def tab_to(self, selector: str, limit: int = 80) -> None:
        """Press Tab until `selector` has the focus, checking the focus at every stop."""
        if self.page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        for _press in range(limit):
            stop = self.tab(f"{self.page.url} (to {selector})", selector)
            if stop is not None and stop["matches"]:
                return
        raise AssertionError(f"{limit} presses of Tab never reached {selector} on {self.page.url}")

    def error_summary_has_focus(self, where: str) -> None:
        """The error summary took the focus when the page loaded, and it shows."""
        stop = self.page.evaluate(LOOK, [".govuk-error-summary", False])
        assert stop is not None and stop["matches"], (
            f"{where}: the error summary does not have the focus ({stop and stop['what']})"
        )
        if not _outline(stop["focused"]):
            self.problems.append(f"{where}: the error summary's focus cannot be seen")

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)
