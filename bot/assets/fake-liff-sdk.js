/* A small fake of LINE's LIFF SDK v2 (https://static.line-scdn.net/liff/edge/2/sdk.js), served
 * by the local fake LINE API (bot/fakeliff.py) so LIFF pages run locally and in tests with no
 * LINE account and nothing downloaded. It implements what this project uses: liff.init,
 * liff.ready, isLoggedIn, login, logout, getIDToken, getDecodedIDToken, isInClient,
 * closeWindow. liff.login() goes to the fake's page where a local user picks who they are; the
 * fake sends the browser back with an ID token (signed by the fake, checked by the fake's
 * POST /oauth2/v2.1/verify exactly as LINE's). */
(function () {
  "use strict";
  var script = document.currentScript;
  var FAKE = script ? new URL(script.src).origin : "";
  var state = { liffId: null, token: null };
  var readyResolve;
  var KEY = "fake-liff-id-token:";

  function decode(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      while (part.length % 4) part += "=";
      var bytes = Uint8Array.from(atob(part), function (c) { return c.charCodeAt(0); });
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      return null;
    }
  }

  function fresh(token) {
    var claims = token && decode(token);
    return !!claims && claims.exp * 1000 > Date.now();
  }

  var liff = {
    id: null,
    ready: new Promise(function (resolve) { readyResolve = resolve; }),
    init: function (config) {
      if (!config || !config.liffId) {
        return Promise.reject(new Error("liffId is necessary for liff.init()"));
      }
      state.liffId = liff.id = config.liffId;
      var hash = new URLSearchParams(location.hash.replace(/^#/, ""));
      var given = hash.get("fake_liff_id_token");
      if (given) {
        sessionStorage.setItem(KEY + state.liffId, given);
        history.replaceState(null, "", location.pathname + location.search);
      }
      state.token = sessionStorage.getItem(KEY + state.liffId);
      readyResolve();
      return Promise.resolve();
    },
    isLoggedIn: function () { return fresh(state.token); },
    login: function (options) {
      var back = (options && options.redirectUri) || location.href;
      location.href = FAKE + "/liff/v1/login?" + new URLSearchParams({ liff_id: state.liffId, redirect_uri: back });
    },
    logout: function () {
      sessionStorage.removeItem(KEY + state.liffId);
      state.token = null;
    },
    getIDToken: function () { return fresh(state.token) ? state.token : null; },
    getDecodedIDToken: function () { return fresh(state.token) ? decode(state.token) : null; },
    isInClient: function () { return / Line\//.test(navigator.userAgent); },
    closeWindow: function () { window.close(); },
    getOS: function () { return "web"; },
  };
  window.liff = liff;
})();
