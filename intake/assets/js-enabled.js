// GOV.UK Frontend's body class, from a file rather than inline, so the Content-Security-
// Policy can forbid every inline script. Loaded first thing in <body>, before it paints.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
