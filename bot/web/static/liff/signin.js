/* The LIFF sign-in page (bot/web/liff.py, templates/liff/signin.html): init the LIFF SDK, log in
 * when not logged in, send liff.getIDToken() to the server (which has LINE verify it), then go
 * on to the page asked for. The user's profile is never sent: only the token. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("liff-config").textContent);
  function fail(message) {
    var box = document.getElementById("status");
    box.textContent = message || cfg.failed;
    box.className = "alert";
  }
  if (!window.liff) { fail(); return; }
  liff.init({ liffId: cfg.liffId }).then(function () {
    if (!liff.isLoggedIn()) { liff.login({ redirectUri: location.href }); return; }
    return fetch(cfg.session, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cfg.csrf },
      body: JSON.stringify({ id_token: liff.getIDToken(), next: cfg.next })
    }).then(function (r) {
      return r.json().then(function (body) {
        if (r.ok) { location.replace(body.next); } else { fail(body.message); }
      }, function () { fail(); });
    });
  }).catch(function () { fail(); });
})();
