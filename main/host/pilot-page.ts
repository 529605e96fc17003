// The page DJI Pilot 2 opens from "Open Platform" on the dock's remote controller: it verifies the DJI
// licence through Pilot 2's JSBridge, loads the `thing` module with the built-in broker's address and
// the dock login, and says in words how far the dock got. Plain HTML and a small script, no framework:
// it runs in Pilot 2's WebView, served by pilot-page-server.ts.

export interface PilotPageConfig {
  /** Absent until the technician enters it in Dockside. */
  licence?: { appId: string; appKey: string; appLicense: string };
  /** What the `thing` module connects to: tcp://ADDRESS:PORT, on the address this page was reached on. */
  broker: { host: string; username: string; password: string };
  organisation: { id: string; name: string; bindingCode: string };
  statusPath: string;
}

function escapeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function pilotPageHtml(config: PilotPageConfig, assetBase: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dockside — connect a dock</title>
<link rel="stylesheet" href="${assetBase}page.css">
</head>
<body>
<h1>Dockside</h1>
<p class="lead">This laptop is the cloud for the docks at this site.</p>
<ol>
<li><strong>Licence</strong> <span id="licence" role="status">checking…</span></li>
<li><strong>Connection</strong> <span id="thing" role="status">waiting for the licence…</span></li>
<li><strong>Binding</strong> <span>when Pilot 2 asks, enter organisation ID <code id="org-id"></code> and binding code <code id="org-code"></code></span></li>
</ol>
<h2>What Dockside sees</h2>
<ul id="docks" aria-live="polite"><li>No dock has spoken to Dockside yet.</li></ul>
<script type="application/json" id="dockside-config">${escapeJson(config)}</script>
<script src="${assetBase}page.js"></script>
</body>
</html>
`;
}

export const PILOT_PAGE_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}
h1{margin:0 0 .25rem}ol{padding-left:1.25rem}li{margin:.5rem 0}code{font-size:1.1em;background:#eef1f4;padding:0 .3em}
.ok{color:#17663a}.bad{color:#a4161a}.lead{color:#4a5561}
`;

/** Runs in Pilot 2's WebView. Every JSBridge call answers a JSON string {code, message, data}; code 0 is success. */
export const PILOT_PAGE_SCRIPT = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('dockside-config').textContent);
  function say(id, text, tone) {
    var el = document.getElementById(id);
    el.textContent = text;
    el.className = tone || '';
  }
  document.getElementById('org-id').textContent = config.organisation.id;
  document.getElementById('org-code').textContent = config.organisation.bindingCode;

  function call(name, args) {
    try {
      var answer = window.djiBridge[name].apply(window.djiBridge, args);
      return typeof answer === 'string' ? JSON.parse(answer) : answer;
    } catch (e) {
      return { code: -1, message: String(e && e.message ? e.message : e), data: null };
    }
  }
  function succeeded(answer) {
    return !!answer && answer.code === 0 && answer.data !== false;
  }

  window.docksideThingConnected = function (connected) {
    if (connected === true || connected === 'true' || connected === 1) say('thing', 'Pilot 2 says the dock is connected to Dockside (' + config.broker.host + ').', 'ok');
    else say('thing', 'Pilot 2 says the dock is not connected to Dockside (' + config.broker.host + '). Check that the dock is on this laptop\\'s network.', 'bad');
  };

  function start() {
    if (!window.djiBridge) {
      say('licence', 'Open this page in DJI Pilot 2 (Cloud Service → Open Platform) on the dock\\'s remote controller.', 'bad');
      say('thing', 'not started: Pilot 2 is needed to hand the dock its connection.', 'bad');
      return;
    }
    if (!config.licence) {
      say('licence', 'No DJI licence is entered in Dockside yet: enter the app id, key and licence in its Connection view, then reload this page.', 'bad');
      say('thing', 'not started: the licence comes first.', 'bad');
      return;
    }
    var verify = call('platformVerifyLicense', [config.licence.appId, config.licence.appKey, config.licence.appLicense]);
    if (!succeeded(verify) || !succeeded(call('platformIsVerified', []))) {
      say('licence', 'Pilot 2 refused the licence' + (verify && verify.message ? ': ' + verify.message : '') + '. Check the app id, key and licence in Dockside.', 'bad');
      say('thing', 'not started: the licence was refused.', 'bad');
      return;
    }
    say('licence', 'verified by Pilot 2 (app id ' + config.licence.appId + ').', 'ok');
    call('platformSetInformation', ['Dockside', config.organisation.name, 'The local cloud on this laptop']);
    call('platformSetWorkspaceId', [config.organisation.id]);
    if (succeeded(call('platformIsComponentLoaded', ['thing']))) {
      window.docksideThingConnected(succeeded(call('thingGetConnectState', [])));
      return;
    }
    var loaded = call('platformLoadComponent', ['thing', JSON.stringify({ host: config.broker.host, username: config.broker.username, password: config.broker.password, connectCallback: 'docksideThingConnected' })]);
    if (succeeded(loaded)) say('thing', 'connecting the dock to ' + config.broker.host + ' as ' + config.broker.username + '…');
    else say('thing', 'Pilot 2 could not load its cloud module' + (loaded && loaded.message ? ': ' + loaded.message : '') + '.', 'bad');
  }

  function showDocks(docks) {
    var list = document.getElementById('docks');
    while (list.firstChild) list.removeChild(list.firstChild);
    if (docks.length === 0) {
      var none = document.createElement('li');
      none.textContent = 'No dock has spoken to Dockside yet.';
      list.appendChild(none);
    }
    docks.forEach(function (d) {
      var item = document.createElement('li');
      item.textContent = new Date(d.at).toLocaleTimeString() + ' — ' + d.words;
      item.className = d.step === 'bound' ? 'ok' : d.step === 'no-licence' || d.step === 'bind-refused' ? 'bad' : '';
      list.appendChild(item);
    });
  }
  function poll() {
    var request = new XMLHttpRequest();
    request.open('GET', config.statusPath);
    request.onload = function () {
      if (request.status === 200) showDocks(JSON.parse(request.responseText).docks);
    };
    request.send();
  }

  start();
  poll();
  setInterval(poll, 2000);
})();
`;
