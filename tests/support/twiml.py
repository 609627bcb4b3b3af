"""Reading the TwiML our webhooks answer: elements and their text, failing the test when one is missing."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def find(root: ET.Element, path: str) -> ET.Element:
    """``root.find(path)``, failing the test when the element is missing."""
    element = root.find(path)
    assert element is not None, f"no {path} in {ET.tostring(root).decode()}"
    return element


def find_text(root: ET.Element, path: str) -> str:
    """The text of ``root.find(path)``, failing the test when the element or its text is missing."""
    text = find(root, path).text
    assert text is not None, f"no text in {path} in {ET.tostring(root).decode()}"
    return text
