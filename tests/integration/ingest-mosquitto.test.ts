import { mosquittoBroker } from '../src/ingest/brokers.js';
import { defineIngestSuite } from './ingest-suite.js';

// The machine's Mosquitto on 127.0.0.1:1883 (MQTT 5 shared subscription, K connections) + embedded DB.
defineIngestSuite('the machine\'s Mosquitto (shared subscription)', mosquittoBroker(1883, 8), { knowsPublisher: false });
