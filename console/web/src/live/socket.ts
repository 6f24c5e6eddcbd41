/**
 * The live feed: one socket.io connection, authenticated by the session cookie. On every connect (the first
 * and each reconnect) the app catches up over HTTP before trusting the feed again; the connection signal
 * drives the indicator and its reconnect button.
 */
import { io, type Socket } from 'socket.io-client';
import type { DevicesDiff, IncidentNotification } from '../api/types.js';
import { catchUp, loadDevices } from './load.js';
import { applyDevicesDiff, applyIncidentMessage, connection } from './store.js';

let socket: Socket | undefined;

export function startLiveFeed(): void {
  if (socket) return;
  connection.value = 'connecting';
  const live = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
  socket = live;
  live.on('connect', () => {
    // Online only once the catch-up has been applied: what the feed sends next is after it.
    catchUpThenOnline(live);
  });
  live.on('disconnect', () => {
    connection.value = 'offline';
  });
  live.on('connect_error', () => {
    connection.value = 'offline';
  });
  live.io.on('reconnect_attempt', () => {
    connection.value = 'connecting';
  });
  live.on('incident', (message: IncidentNotification) => {
    applyIncidentMessage(message).catch((error: unknown) => console.warn('incident message', error));
  });
  live.on('devices:diff', (diff: DevicesDiff) => {
    if (!applyDevicesDiff(diff)) reloadDevices();
  });
}

let reloading = false;

/** A diff named a device this browser lacks: read the whole set again (once at a time). */
function reloadDevices(): void {
  if (reloading) return;
  reloading = true;
  loadDevices()
    .catch((error: unknown) => console.warn('reloading the devices', error))
    .finally(() => (reloading = false));
}

function catchUpThenOnline(live: Socket): void {
  connection.value = 'connecting';
  Promise.all([catchUp(), loadDevices()])
    .then(() => {
      if (live.connected) connection.value = 'online';
    })
    .catch((error: unknown) => {
      console.warn('catch-up failed', error);
      if (live.connected) connection.value = 'online';
    });
}

/** The reconnect button: drop the connection and open it again (which catches up). */
export function reconnect(): void {
  if (!socket) return startLiveFeed();
  connection.value = 'connecting';
  socket.disconnect();
  socket.connect();
}

/** For tests and the bench: cut the connection without reconnecting. */
export function goOffline(): void {
  socket?.disconnect();
  connection.value = 'offline';
}

export function stopLiveFeed(): void {
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = undefined;
  connection.value = 'offline';
}
