// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

// GOV.UK Frontend marks a radio that reveals a question with aria-expanded, which ARIA
// does not allow on a radio (axe: aria-allowed-attr; govuk-frontend issue #979). The
// revealed question follows its radio directly and aria-controls stays, so the state is
// dropped here whenever GOV.UK Frontend sets it (on load, on pageshow, on every change).
const radios = 'input[type="radio"][aria-expanded]';
function dropRadioExpanded() {
  for (const radio of document.querySelectorAll(radios)) {
    radio.removeAttribute("aria-expanded");
  }
}
dropRadioExpanded();
new MutationObserver(dropRadioExpanded).observe(document.body, {
  attributes: true,
  attributeFilter: ["aria-expanded"],
  subtree: true,
});
